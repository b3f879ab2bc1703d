import type { RuntimeCourse } from '../../model.ts';
import { startPlayer } from '../player.ts';
import { createCmi5Adapter } from '../adapters/cmi5.ts';
import { addExitButton, applyAudioPreference, showNotice, text } from '../xapi/ui.ts';

const adapter = createCmi5Adapter();
const course: RuntimeCourse | undefined = (self as any).COURSEPACK;
applyAudioPreference(() => adapter.preferences()?.audioPreference === 'off');

const ended = (): void =>
  showNotice(
    text(course, 'sessionEnded', 'This session has ended, so nothing you do here is recorded. To carry on, close this window and open the course again from your learning platform.'),
  );

// The launch sequence runs in start(); its outcome shapes the shell as soon as it is known.
const start = adapter.start.bind(adapter);
adapter.start = async (c) => {
  const info = await start(c);
  if (adapter.sessionEnded()) ended();
  const url = adapter.launchData()?.returnURL;
  if (url) addExitButton(text(course, 'exit', 'Exit course'), text(course, 'exiting', 'Saving your progress…'), () => adapter.exit(), url);
  return info;
};

// Back from the browser's page cache after pagehide ended the session: say so.
addEventListener('pageshow', (e) => {
  if ((e as PageTransitionEvent).persisted && adapter.sessionEnded()) ended();
});

void startPlayer(adapter, course);
