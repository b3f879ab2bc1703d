/**
 * The reference LMS (scorm-again's real API objects) with a log of every call the adapter makes and
 * the LMS error code right after it. The log is read through the LMS's own error function, so it
 * shows exactly what an LMS would report.
 */
import { Scorm12API, Scorm2004API } from 'scorm-again';

export interface Call {
  method: string;
  args: string[];
  result: string;
  error: string;
}

function logged<T extends object>(api: T, methods: string[], errorMethod: string): { api: T; calls: Call[] } {
  const calls: Call[] = [];
  const target = api as any;
  for (const m of methods) {
    const original = target[m].bind(api);
    target[m] = (...args: string[]) => {
      const result = original(...args);
      calls.push({ method: m, args, result: String(result), error: String(target[errorMethod]()) });
      return result;
    };
  }
  return { api, calls };
}

/**
 * How an LMS treats a `cmi.suspend_data` over 4,096 characters: scorm-again keeps up to 64,000 (as
 * Moodle does by default); `refuse` answers false with error 405 (Moodle with `scormstandard`
 * on); `cut` says true and keeps the first 4,096 (as some players do silently).
 */
export type SuspendDataPolicy = 'keep' | 'refuse' | 'cut';

export function lms12(data?: object, policy: SuspendDataPolicy = 'keep') {
  const api = new Scorm12API({ logLevel: 5 });
  if (data) api.loadFromJSON(data as any);
  const set = api.LMSSetValue.bind(api);
  (api as any).LMSSetValue = (element: string, value: string) => {
    if (element !== 'cmi.suspend_data' || value.length <= 4096 || policy === 'keep') return set(element, value);
    if (policy === 'cut') return set(element, value.slice(0, 4096));
    api.throwSCORMError(element, 405, 'cmi.suspend_data is CMIString4096');
    return 'false';
  };
  return logged(api, ['LMSInitialize', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSFinish'], 'LMSGetLastError');
}

export function lms2004(data?: object) {
  const api = new Scorm2004API({ logLevel: 5 });
  if (data) api.loadFromJSON(data as any);
  return logged(api, ['Initialize', 'GetValue', 'SetValue', 'Commit', 'Terminate'], 'GetLastError');
}

/** A window whose API is the given object, as an LMS frame would hold it. */
export function windowWith(name: string, api: unknown): Window {
  const w: any = { [name]: api };
  w.parent = w;
  return w as Window;
}

export const sets = (calls: Call[]) => calls.filter((c) => /SetValue/.test(c.method));
export const valueOf = (calls: Call[], element: string) =>
  sets(calls).filter((c) => c.args[0] === element).map((c) => c.args[1]);
