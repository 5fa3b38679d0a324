/**
 * The service layer every front shares (Electron IPC, WebSocket server, CLI): one object per domain
 * and the handler table that maps each contract channel to its service method.
 */
import { join } from 'node:path';
import type { CallChannel, CallParams, CallReply } from '../../shared/api';
import { DATABASE_FILE } from '../../shared/constants';
import { EngineClient } from '../engine/client';
import { Store } from '../store/store';
import { appVersion } from '../version';
import { ensureHome } from '../workspace/home';
import type { EventSink, ServiceContext } from './context';
import { DatasetsService } from './datasets';
import { SystemService } from './system';

export interface Services {
  ctx: ServiceContext;
  system: SystemService;
  datasets: DatasetsService;
  close(): Promise<void>;
}

export interface CreateServicesOptions {
  home: string;
  front: 'electron' | 'browser';
  emit?: EventSink;
  engine?: EngineClient;
}

export function createServices(options: CreateServicesOptions): Services {
  const home = ensureHome(options.home);
  const store = Store.open(join(home, DATABASE_FILE));
  const engine = options.engine ?? new EngineClient();
  const ctx: ServiceContext = {
    home,
    store,
    engine,
    emit: options.emit ?? (() => undefined),
    front: options.front,
    version: appVersion(),
  };
  return {
    ctx,
    system: new SystemService(ctx),
    datasets: new DatasetsService(ctx),
    async close() {
      await engine.close();
      store.close();
    },
  };
}

export interface CallContext {
  signal?: AbortSignal;
}

export type CallHandlers = {
  [C in CallChannel]: (params: CallParams<C>, ctx: CallContext) => Promise<CallReply<C>> | CallReply<C>;
};

/** One handler per channel; the compiler checks the table is complete. */
export function callHandlers(services: Services): CallHandlers {
  return {
    'system:info': () => services.system.info(),
    'system:doctor': () => services.system.doctor(),
    'datasets:list': () => services.datasets.list(),
    'datasets:get': (p) => services.datasets.get(p.datasetId),
    'datasets:import': (p, ctx) => services.datasets.import(p, ctx.signal),
    'datasets:images': (p) => services.datasets.images(p),
    'datasets:class-balance': (p) => services.datasets.classBalance(p.datasetId),
    'datasets:skipped': (p) => services.datasets.skipped(p.datasetId),
  };
}
