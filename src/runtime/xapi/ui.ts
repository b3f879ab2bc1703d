/**
 * The few things an xAPI/cmi5 launch adds to the shell, outside the player: a notice of its own
 * (next to the player's `#cp-notice`, so neither hides the other) and the cmi5 Exit button that
 * takes the learner to the LMS's returnURL once the session is closed.
 */
export function showNotice(message: string): void {
  const box = document.createElement('div');
  box.className = 'cp-notice';
  box.setAttribute('role', 'status');
  const p = document.createElement('p');
  p.textContent = message;
  box.append(p);
  const anchor = document.getElementById('cp-notice');
  if (anchor) anchor.after(box);
  else document.body.prepend(box);
}

/** An Exit button in the header: closes the session (awaiting the LRS), then leaves for `url`. */
export function addExitButton(label: string, busy: string, close: () => Promise<void>, url: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'cp-button cp-button-secondary cp-exit';
  b.textContent = label;
  b.addEventListener('click', async () => {
    b.disabled = true;
    b.textContent = busy;
    try {
      await close();
    } finally {
      location.assign(url);
    }
  });
  (document.querySelector('.cp-header') || document.body).append(b);
  return b;
}

/** cmi5 §11.2: audio starts on or off as the learner prefers (they may still turn it on). */
export function applyAudioPreference(off: () => boolean): void {
  document.addEventListener(
    'play',
    (e) => {
      const media = e.target as HTMLMediaElement;
      if (off() && !media.dataset.cpAudio) {
        media.dataset.cpAudio = 'off';
        media.muted = true;
      }
    },
    true,
  );
}
