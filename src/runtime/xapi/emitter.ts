/**
 * The statements of one session, made and queued: the platform, language and registration on
 * each, the cmi5 context template and categories, monotonic timestamps, and the right way out
 * when the page is hidden or going away.
 */
import type { Agent } from '@xapi/xapi';
import type { StatementQueue } from './queue.ts';
import { activity, buildStatement, CMI5, PLATFORM, type Activity, type Context, type Result, type VerbName } from './statements.ts';

export interface EmitterOptions {
  actor: Agent;
  registration: string;
  language: string;
  /** cmi5: the LaunchData contextTemplate; statements then follow the cmi5 rules. */
  cmi5Template?: Context;
  queue: StatementQueue;
  /** Whether the page is hidden (it may be going away). */
  hidden?: () => boolean;
  /** False once nothing may be sent any more (a session that ended, or one that never may send). */
  open: () => boolean;
}

export interface Emitter {
  /** `defined`: a cmi5 defined statement (cmi5 category; moveOn with success or completion). */
  emit(verb: VerbName, object: Activity, result: Result | undefined, context: Context, defined?: boolean): void;
  /** The page is going away: statements are kept for the keepalive flush instead of being sent. */
  unloading: boolean;
}

export function createEmitter(options: EmitterOptions): Emitter {
  let last = 0;
  let later: ReturnType<typeof setTimeout> | undefined;
  /** Monotonic timestamps: cmi5 orders a session by timestamp (initialized first, terminated last). */
  const tick = (): number => (last = Math.max(Date.now(), last + 1));
  const base: Context = { registration: options.registration || undefined, platform: PLATFORM, language: options.language };

  const emitter: Emitter = {
    unloading: false,
    emit(verb, object, result, context, defined = false) {
      if (!options.open()) return;
      const ctx: Context = { ...base, ...context };
      if (options.cmi5Template && defined) {
        const moveOn = result && (result.success !== undefined || result.completion !== undefined);
        ctx.contextActivities = {
          ...ctx.contextActivities,
          category: [activity(CMI5.category), ...(moveOn ? [activity(CMI5.moveOn)] : [])],
        };
      }
      if (!ctx.registration) delete ctx.registration;
      const s = buildStatement(options.actor, options.cmi5Template, { verb, object, result, context: ctx, at: tick() });
      if (emitter.unloading) options.queue.hold(s);
      else if (options.hidden?.()) {
        // Hidden: the page may be going away, and a plain request could land after the closing
        // keepalive batch. Kept for that batch; sent normally if the page is still here in a second.
        options.queue.hold(s);
        clearTimeout(later);
        later = setTimeout(() => void options.queue.flush(), 1000);
      } else options.queue.push(s);
    },
  };
  return emitter;
}
