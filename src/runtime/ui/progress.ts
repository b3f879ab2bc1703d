/** The progress bar and its label: the same measure the LMS is sent. */
import type { Outcome } from '../status.ts';
import type { Strings } from '../strings.ts';
import { $ } from './dom.ts';

export function showProgress(outcome: Outcome, t: Strings): void {
  const percent = Math.round(outcome.measure * 100);
  const bar = $<HTMLProgressElement>('#cp-progress');
  if (bar) {
    bar.max = 100;
    bar.value = percent;
  }
  const label = $('#cp-progress-label');
  if (label) label.textContent = t('progress', { percent });
}
