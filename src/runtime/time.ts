/** Time formats of the standards. All take milliseconds. */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** SCORM 1.2 CMITimespan `HHHH:MM:SS.SS` (hours 4 digits, capped at 9999:59:59.99). */
export function scorm12Timespan(ms: number): string {
  const cs = Math.min(Math.max(Math.round(ms / 10), 0), 3599999999);
  const s = Math.floor(cs / 100) % 60;
  return `${pad(Math.floor(cs / 360000), 4)}:${pad(Math.floor(cs / 6000) % 60)}:${pad(s)}.${pad(cs % 100)}`;
}

/** SCORM 1.2 CMITime, the local clock time `HH:MM:SS`. */
export function scorm12Clock(at: number): string {
  const d = new Date(at);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** ISO 8601 duration as SCORM 2004 wants it: `PT1H2M3.5S`, at most 2 decimals on seconds. */
export function isoDuration(ms: number): string {
  const cs = Math.max(Math.round(ms / 10), 0);
  const h = Math.floor(cs / 360000);
  const m = Math.floor(cs / 6000) % 60;
  const s = (cs % 6000) / 100;
  return `PT${h ? h + 'H' : ''}${m ? m + 'M' : ''}${s || !(h || m) ? s + 'S' : ''}`;
}

/**
 * SCORM 2004 timestamp, UTC to the hundredth: `2024-05-01T09:30:00.00Z`. The fraction is not
 * decoration: SCORM's format is YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]], so a zone designator may
 * only follow a fraction of a second (the reference LMS refuses `…:00Z`).
 */
export function isoTimestamp(at: number): string {
  return new Date(at).toISOString().slice(0, 22) + 'Z';
}
