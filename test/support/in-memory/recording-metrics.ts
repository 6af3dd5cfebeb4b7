import type { Channel, UsageRecord } from '../../../src/domain/usage.js';
import type { LimitName } from '../../../src/domain/user-limits.js';
import type { Metrics, ReplyMeter } from '../../../src/use-cases/ports.js';

/** Metrics that export nothing and keep what they were told: what Prometheus would count. */
export class RecordingMetrics implements Metrics {
  readonly replies: { channel: Channel; model: string; firstToken: boolean; ended?: string }[] = [];
  readonly usage: UsageRecord[] = [];
  readonly refusals: LimitName[] = [];

  replyStarted(channel: Channel, model: string): ReplyMeter {
    const reply: RecordingMetrics['replies'][number] = { channel, model, firstToken: false };
    this.replies.push(reply);
    return {
      firstToken: () => {
        reply.firstToken = true;
      },
      ended: (status) => {
        reply.ended = status;
      },
    };
  }

  usageRecorded(record: UsageRecord): void {
    this.usage.push(record);
  }

  limitRejected(limit: LimitName): void {
    this.refusals.push(limit);
  }
}
