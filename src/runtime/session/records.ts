/**
 * Response texts kept in the LMS's interaction records instead of twice (SCORM 2004): a text the
 * LMS took unchanged (read back at once) gets a reference, `index:length.hash`. The LMS copy of
 * the state leaves such a text out only in a session that began by reading every referenced text
 * back intact — proof that this LMS returns its records on a new launch. A text it did not return
 * is looked for on the device, like any text kept there.
 */
import type { LearnerState } from '../state.ts';

/** Length and FNV-1a hash: enough to tell a text from a cut or altered copy. */
function fingerprint(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return text.length.toString(36) + '.' + (h >>> 0).toString(36);
}

export const textRef = (index: number, text: string): string => index + ':' + fingerprint(text);

const matches = (ref: string, text?: string | null): boolean => text != null && ref === textRef(parseInt(ref), text);

/** The state as the LMS keeps it: texts its records hold unchanged are left out. */
export function withoutRecordedTexts(state: LearnerState): LearnerState {
  const texts = { ...state.texts };
  for (const [id, ref] of Object.entries(state.recorded)) if (matches(ref, texts[id])) delete texts[id];
  return { ...state, texts };
}

/**
 * Reads every referenced text back from the LMS. Returns the state with the texts it returned
 * intact (a newer text already in the state wins), the others listed as kept on a device, and
 * whether the LMS returned every one — and at least one — intact.
 */
export function readRecordedTexts(state: LearnerState, read: (index: number, id: string) => string | null) {
  const texts = { ...state.texts };
  const missing: string[] = [];
  const refs = Object.entries(state.recorded);
  let intact = !!refs.length;
  for (const [id, ref] of refs) {
    const text = read(parseInt(ref), id);
    if (matches(ref, text)) texts[id] ??= text!;
    else {
      intact = false;
      if (!(id in texts)) missing.push(id);
    }
  }
  return { state: { ...state, texts, textsOnDevice: [...state.textsOnDevice, ...missing] }, intact };
}
