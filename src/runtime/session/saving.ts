/**
 * Saving the learner state: the LMS copy within the adapter's limit, and the device copy, which is
 * both a safety net for lost LMS writes and the home of texts over the LMS limit. Never a silent
 * loss: the learner is told what did not fit and offered their text.
 */
import type { LmsAdapter } from '../adapters/types.ts';
import type { Notice } from '../notices.ts';
import { encodeForLimit, encodeState, type LearnerState } from '../state.ts';
import type { Strings } from '../strings.ts';
import { load, store } from '../storage.ts';

/** Where the device copy lives (localStorage by default; a double in tests). */
export interface DeviceStore {
  load(key: string): string | null;
  /** False when the value could not be stored. */
  store(key: string, value: string | null): boolean;
}

export const browserStore: DeviceStore = { load, store };

export interface SaverOptions {
  adapter: LmsAdapter;
  device: DeviceStore;
  /** '' when the state lives in this browser anyway (no LMS): no second copy. */
  deviceKey: string;
  t: Strings;
  notify: Notice;
  /** Offered with the notice when texts did not fit in the LMS. */
  downloadAnswers: () => void;
  /** The state as the LMS copy holds it (texts the LMS keeps elsewhere left out); as is by default. */
  forLms?: (state: LearnerState) => LearnerState;
}

/**
 * Returns the function that writes one state to the LMS and to the device. Where the LMS may keep
 * more than the standard's limit (`limits.largeChars`), a longer state is written and read back;
 * after the first time the LMS refuses or changes one, this session stays within the standard.
 */
export function createSaver({ adapter, device, deviceKey, t, notify, downloadAnswers, forLms = (s) => s }: SaverOptions) {
  const { stateChars, largeChars } = adapter.limits;
  let large = !!(largeChars && adapter.saveLarge);
  return (full: LearnerState): void => {
    const state = forLms(full);
    let fit = encodeForLimit(state, large ? largeChars! : stateChars);
    let written = false;
    if (fit.value !== null && fit.value.length > stateChars) {
      written = large = adapter.saveLarge!(state.bookmark, fit.value);
      if (!written) fit = encodeForLimit(state, stateChars);
    }
    if (fit.value !== null && !written) adapter.saveState(state.bookmark, fit.value);
    const left = fit.value === null || fit.overflow.length > 0;
    const kept = !deviceKey || device.store(deviceKey, left || state !== full ? encodeState(full) : fit.value);
    notify('overflow', left ? t(kept ? 'overflow' : 'overflowLost') : null, { label: t('download'), run: downloadAnswers });
    notify('elsewhere', full.textsOnDevice.length ? t('elsewhere') : null);
  };
}
