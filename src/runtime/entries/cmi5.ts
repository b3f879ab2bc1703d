import type { RuntimeCourse } from '../../model.ts';
import { startPlayer } from '../player.ts';
import { createCmi5Adapter } from '../adapters/cmi5.ts';
import { CMI5_STRINGS, strings } from '../strings.ts';
import { addExitButton, applyAudioPreference, showNotice } from '../xapi/ui.ts';

const adapter = createCmi5Adapter();
const course: RuntimeCourse | undefined = (self as any).COURSEPACK;
const t = strings(course?.strings, CMI5_STRINGS);
applyAudioPreference(() => adapter.preferences()?.audioPreference === 'off');

const ended = (): void => showNotice(t('sessionEnded'));

// The launch sequence runs in start(); its outcome shapes the shell as soon as it is known.
const start = adapter.start.bind(adapter);
adapter.start = async (c) => {
  const info = await start(c);
  if (adapter.sessionEnded()) ended();
  const url = adapter.launchData()?.returnURL; // http(s) only, or ''
  if (url) addExitButton(t('exit'), t('exiting'), () => adapter.exit(), url);
  return info;
};

// Back from the browser's page cache after pagehide ended the session: say so.
addEventListener('pageshow', (e) => {
  if ((e as PageTransitionEvent).persisted && adapter.sessionEnded()) ended();
});

void startPlayer(adapter, course);
