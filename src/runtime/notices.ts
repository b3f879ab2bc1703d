/**
 * Notices to the learner in `#cp-notice` (role=status). Each notice has a key; showing the same
 * text again does nothing, so a screen reader is not told the same thing on every save.
 */
export type Notice = (key: string, text: string | null, action?: { label: string; run: () => void }) => void;

export function notices(root: HTMLElement | null): Notice {
  const shown = new Map<string, HTMLElement>();
  return (key, text, action) => {
    const old = shown.get(key);
    if (!root || (old && old.dataset.text === text)) return;
    old?.remove();
    shown.delete(key);
    if (text) {
      const p = document.createElement('p');
      p.dataset.text = text;
      p.textContent = text;
      if (action) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'cp-button';
        b.textContent = action.label;
        b.onclick = action.run;
        p.append(' ', b);
      }
      root.append(p);
      shown.set(key, p);
    }
    root.hidden = !shown.size;
  };
}
