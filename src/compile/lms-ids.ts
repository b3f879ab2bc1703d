/**
 * Every identifier and answer the runtime writes to an LMS, checked against the strictest rule
 * known among the standards and the LMSs that enforce them, so no LMS refuses or alters one:
 * - interaction ids: SCORM 1.2 CMIIdentifier, `[A-Za-z0-9_-]`, at most 255 characters;
 * - choice and likert ids: one letter or digit (1.2 responses), which also meets Moodle's SCORM
 *   2004 player (`^[\w.]{1,250}$`, no hyphen);
 * - fill-in answers: at most 10 (Moodle 2004), each at most 250 characters (2004 SPM) on one line,
 *   without `[,]` (the 2004 separator) or a leading `{` (read as a `{lang=…}` delimiter).
 */
import type { Diagnostics } from '../diagnostics.ts';
import type { Interaction } from '../model.ts';

const INTERACTION_ID = /^[A-Za-z0-9_-]{1,255}$/;
const CHOICE_ID = /^[a-z0-9]$/;
const MAX_FILL_IN_ANSWERS = 10;
const FILL_IN_CHARS = 250;

/**
 * The Common Cartridge's question profile wants at least three choices in a single-answer
 * question (its rule 4d; polls use the same profile). Canvas and Moodle import two, so this warns.
 */
export function checkCartridgeChoices(interactions: Map<string, Interaction>, diagnostics: Diagnostics): void {
  for (const it of interactions.values()) {
    if (it.kind === 'response' || it.type !== 'single' || it.choices.length >= 3) continue;
    diagnostics.warn('cc-choices', it.source.file, it.source,
      `\`${it.id}\` has ${it.choices.length} choices; a Common Cartridge wants at least three in a single-answer question`,
      'Add a choice, or use `type=true-false` for a true/false question; Canvas and Moodle still import it as it is.');
  }
}

/** Reports every id or answer an LMS could refuse, at the place of its block. */
export function checkLmsIds(interactions: Map<string, Interaction>, diagnostics: Diagnostics): void {
  for (const it of interactions.values()) {
    const error = (message: string, hint: string): void => diagnostics.error('lms-id', it.source.file, it.source, message, hint);
    if (!INTERACTION_ID.test(it.id)) {
      error(`The id \`${it.id}\` is not one every LMS accepts`, 'Use at most 255 letters, digits, `-` and `_`.');
    }
    if (it.kind === 'response') continue;
    const bad = it.choices.filter((c) => !CHOICE_ID.test(c.id));
    if (bad.length) error(`\`${it.id}\` has choice ids an LMS would refuse: ${bad.map((c) => c.id).join(' ')}`, 'Keep at most 26 choices.');
    if (it.kind !== 'question' || it.type !== 'fill-in') continue;
    if (it.correct.length > MAX_FILL_IN_ANSWERS) {
      error(`\`${it.id}\` has ${it.correct.length} accepted answers; Moodle keeps at most ${MAX_FILL_IN_ANSWERS}`, 'Keep the ten most likely answers.');
    }
    for (const answer of it.correct) {
      if (answer.length > FILL_IN_CHARS || /[\r\n\u2028\u2029]|\[,\]|^\{/.test(answer)) {
        error(`The accepted answer "${answer.slice(0, 40)}" of \`${it.id}\` would be changed in the LMS`,
          `Keep each answer on one line, at most ${FILL_IN_CHARS} characters, without \`[,]\` and not starting with \`{\`.`);
      }
    }
  }
}
