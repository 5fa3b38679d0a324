/**
 * Main-process event-loop lag during training (bench/probes/event-loop.ts): createServices +
 * runs.start in one process, training in the engine worker, monitorEventLoopDelay on the main loop.
 */
import { probe, repeat, tempHome } from '../lib/cwb';
import { summarize, type Summary } from '../lib/stats';
import { FASHION_MNIST } from './import';

interface EventLoopJson {
  status: string;
  steps: number;
  trainSeconds: number;
  resolutionMs: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export interface EventLoopRow {
  scenario: string;
  resolutionMs: number;
  steps: number | null;
  trainSeconds: Summary;
  lagP50Ms: Summary;
  lagP99Ms: Summary;
  lagMaxMs: Summary;
  load1: number[];
  command: string;
  errors: string[];
}

export async function runEventLoopSuite(opts: {
  runs: number;
  quick: boolean;
}): Promise<EventLoopRow[]> {
  const limit = opts.quick ? '500' : '2000';
  const args = [
    '--dataset',
    FASHION_MNIST,
    '--limit',
    limit,
    '--epochs',
    '1',
    '--batch-size',
    '64',
    '--method',
    'simclr',
    '--resolution',
    '10',
  ];
  const attempt = await repeat(opts.runs, 'event-loop lag during training', () => {
    const home = tempHome();
    return probe<EventLoopJson>('probes/event-loop.ts', ['--home', home.dir, ...args]).finally(
      home.remove,
    );
  });
  const v = attempt.runs.map((r) => r.value);
  return [
    {
      scenario: `SimCLR, small encoder, Fashion-MNIST --limit ${limit}, 1 epoch, batch 64`,
      resolutionMs: 10,
      steps: v[0]?.steps ?? null,
      trainSeconds: summarize(v.map((x) => x.trainSeconds)),
      lagP50Ms: summarize(v.map((x) => x.lagP50Ms)),
      lagP99Ms: summarize(v.map((x) => x.lagP99Ms)),
      lagMaxMs: summarize(v.map((x) => x.lagMaxMs)),
      load1: attempt.runs.map((r) => r.load[0]),
      command: `npx tsx bench/probes/event-loop.ts --home <tmp> ${args.join(' ')}`,
      errors: attempt.errors,
    },
  ];
}
