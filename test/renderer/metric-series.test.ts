import { describe, expect, it } from 'vitest';
import {
  appendEpoch,
  appendProgress,
  fromReply,
  mergeSeries,
  type MetricSeries,
} from '../../src/renderer/src/metrics/series';
import { formatDuration, progressFraction } from '../../src/renderer/src/format/duration';

describe('metric series', () => {
  it('turns runs:metrics rows into [step, value, epoch, wallTime?] points', () => {
    expect(fromReply({ loss: [{ step: 3, epoch: 1, value: 0.5 }, { step: 4, epoch: 1, value: 0.4, wallTime: 12.5 }] })).toEqual({
      loss: [
        [3, 0.5, 1],
        [4, 0.4, 1, 12.5],
      ],
    });
  });

  it('appends progress and epoch events in place; a null kNN adds nothing', () => {
    const s: MetricSeries = {};
    appendProgress(s, {
      runId: 1,
      step: 1,
      epoch: 0.5,
      loss: 2,
      learningRate: 0.1,
      imagesPerSecond: 40,
      etaSeconds: 3,
      stepsPerEpoch: 2,
    }, 100);
    appendEpoch(s, { runId: 1, epoch: 1, step: 2, knnAccuracy: null, meanLoss: 1.9 }, 160);
    // The fourth element is the wall time the point arrived at (seconds since the epoch).
    expect(s).toEqual({
      loss: [[1, 2, 0.5, 100]],
      learning_rate: [[1, 0.1, 0.5, 100]],
      images_per_second: [[1, 40, 0.5, 100]],
      epoch_loss: [[2, 1.9, 1, 160]],
    });
  });

  it('keeps alignment and uniformity when an epoch reports them', () => {
    const s: MetricSeries = {};
    appendEpoch(s, {
      runId: 1,
      epoch: 2,
      step: 8,
      knnAccuracy: 0.5,
      meanLoss: null,
      alignment: 0.75,
      uniformity: -2.5,
    }, 7);
    expect(s).toEqual({
      knn_accuracy: [[8, 0.5, 2, 7]],
      alignment: [[8, 0.75, 2, 7]],
      uniformity: [[8, -2.5, 2, 7]],
    });
  });

  it('merges live points newer than the last stored step after the stored ones', () => {
    const stored: MetricSeries = {
      loss: [
        [1, 3, 0],
        [2, 2.5, 0],
      ],
    };
    const live: MetricSeries = {
      loss: [
        [2, 2.5, 0],
        [3, 2, 0],
      ],
      knn_accuracy: [[3, 0.6, 1]],
    };
    expect(mergeSeries(stored, live)).toEqual({
      loss: [
        [1, 3, 0],
        [2, 2.5, 0],
        [3, 2, 0],
      ],
      knn_accuracy: [[3, 0.6, 1]],
    });
  });
});

describe('durations and progress', () => {
  it('formats seconds', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125.4)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('—');
  });

  it('estimates the fraction done from elapsed time and the ETA', () => {
    const started = '2026-01-01T00:00:00.000Z';
    expect(progressFraction(started, 30, Date.parse(started) + 10_000)).toBeCloseTo(0.25);
    expect(progressFraction(null, 30)).toBeNull();
    expect(progressFraction(started, 0, Date.parse(started) + 1000)).toBe(1);
  });
});
