import type { AppInfo, DoctorReport } from '../../shared/schemas/system';
import { APP_NAME } from '../../shared/constants';
import { integrityProblems } from '../store/db';
import { logFilePath } from '../workspace/log-file';
import type { ServiceContext } from './context';
import { probePython } from '../engine/pytorch/python';

export class SystemService {
  constructor(private readonly ctx: ServiceContext) {}

  info(): AppInfo {
    return { name: APP_NAME, version: this.ctx.version, home: this.ctx.home, front: this.ctx.front };
  }

  /** Backend report from the engine worker (where tfjs lives), the PyTorch engine's Python, the record's location and full integrity check. */
  async doctor(backend?: string, wasmThreads?: number): Promise<DoctorReport> {
    const [report, pytorch] = await Promise.all([
      this.ctx.engine.call('doctor', {
        ...(backend === undefined ? {} : { backend }),
        ...(wasmThreads === undefined ? {} : { wasmThreads }),
      }),
      probePython(),
    ]);
    return {
      ...report,
      home: this.ctx.home,
      database: {
        path: this.ctx.store.path,
        schemaVersion: this.ctx.store.schemaVersion,
        integrity: this.ctx.store.path === ':memory:' ? 'ok' : integrityProblems(this.ctx.store.path, 'integrity_check').join('; ') || 'ok',
      },
      logFile: logFilePath(this.ctx.home),
      pytorch,
    };
  }
}
