import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT } from '../../../shared/constants';
import { WorkbenchError } from '../../../shared/errors';
import { newToken } from '../../server/auth';
import { startServer } from '../../server/server';
import { createServices, callHandlers } from '../../services/index';
import { createDispatch } from '../../services/dispatch';
import { packageRoot } from '../../version';
import { defaultHome } from '../../workspace/home';
import type { GlobalOptions } from '../context';
import { parseInteger } from './parse';

export function rendererDir(): string {
  return join(packageRoot(), 'out', 'renderer');
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the workbench UI in the browser (127.0.0.1, per-launch token)')
    .option('--host <host>', 'interface to bind; anything but loopback exposes the app to the network', DEFAULT_SERVE_HOST)
    .option('--port <port>', 'TCP port 0-65535 (0 picks a free one)', parseInteger, DEFAULT_SERVE_PORT)
    .action(async (opts: { host: string; port: number }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      if (opts.port < 0 || opts.port > 65535) throw new WorkbenchError('INVALID_INPUT', `--port ${opts.port} is not a TCP port; use 0-65535 (0 picks a free one)`);
      const dir = rendererDir();
      if (!existsSync(join(dir, 'index.html'))) {
        throw new WorkbenchError('UNAVAILABLE', `the UI is not built (${dir} is missing); run \`npm run serve\` or \`npm run build:renderer\` first`);
      }
      let broadcast: (channel: string, payload: unknown) => void = () => undefined;
      const services = createServices({
        home: globals.home ?? defaultHome(),
        front: 'browser',
        emit: (channel, payload) => broadcast(channel, payload),
      });
      const token = newToken();
      const server = await startServer({
        host: opts.host,
        port: opts.port,
        token,
        rendererDir: dir,
        dispatch: createDispatch(callHandlers(services)),
        log: (line) => process.stderr.write(`cwb serve: ${line}\n`),
      }).catch(async (err: NodeJS.ErrnoException) => {
        await services.close();
        if (err.code === 'EADDRINUSE') throw new WorkbenchError('UNAVAILABLE', `port ${opts.port} is in use; pass --port <n> (or 0 for any free port)`);
        if (err.code === 'EACCES') throw new WorkbenchError('UNAVAILABLE', `not allowed to listen on port ${opts.port} (ports below 1024 need privileges); pass --port <n> above 1023`);
        if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
          throw new WorkbenchError('INVALID_INPUT', `cannot listen on --host ${opts.host}: not an address of this machine`);
        }
        throw new WorkbenchError('UNAVAILABLE', `cannot listen on ${opts.host}:${opts.port}: ${err.message}`);
      });
      broadcast = server.broadcast;
      if (opts.host !== DEFAULT_SERVE_HOST && opts.host !== 'localhost') {
        process.stderr.write(`warning: listening on ${opts.host}; anyone who can reach it and has the token can use this workbench\n`);
      }
      process.stdout.write(`Workbench ready at ${server.url}\n`);
      const stop = async (): Promise<void> => {
        await server.close();
        await services.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      // Keep running until a signal arrives.
      await new Promise(() => undefined);
    });
}
