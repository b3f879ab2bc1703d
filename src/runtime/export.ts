/**
 * The learner's answers as documents they keep: Markdown and a print-ready HTML page. Every string
 * that reaches a document is escaped; the HTML carries a CSP that allows no script at all.
 */

export interface AnswerSection {
  title: string;
  items: { prompt: string; answer: string }[];
}

export interface AnswerDoc {
  title: string;
  /** Learner name and date, one line. */
  byline: string;
  language: string;
  empty: string;
  sections: AnswerSection[];
}

// Backslash-escape what Markdown would read as markup: inline syntax anywhere, block syntax
// (lists, headings, setext underlines) at the start of a line.
const md = (s: string): string =>
  s
    .replace(/[\\`*_[\]{}<>#|~&!]/g, '\\$&')
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');

export function toMarkdown(doc: AnswerDoc): string {
  const out = [`# ${md(doc.title)}`, '', md(doc.byline)];
  for (const s of doc.sections) {
    out.push('', `## ${md(s.title)}`);
    for (const item of s.items) out.push('', `**${md(item.prompt)}**`, '', item.answer.trim() ? md(item.answer) : `_${md(doc.empty)}_`);
  }
  return out.join('\n') + '\n';
}

const html = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function toHtml(doc: AnswerDoc): string {
  const body = doc.sections
    .map(
      (s) =>
        `<section><h2>${html(s.title)}</h2>` +
        s.items
          .map((i) => `<h3>${html(i.prompt)}</h3><div class="a">${i.answer.trim() ? html(i.answer) : `<em>${html(doc.empty)}</em>`}</div>`)
          .join('') +
        '</section>',
    )
    .join('');
  return (
    `<!doctype html><html lang="${html(doc.language)}"><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(doc.title)}</title>` +
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#111}' +
    'h3{font-size:1rem;margin:1.25rem 0 .25rem}.a{white-space:pre-wrap;border-left:3px solid #999;padding-left:.75rem}' +
    'section{break-inside:auto}h2{break-after:avoid;border-bottom:1px solid #ccc}@media print{body{margin:0;max-width:none}}</style>' +
    `</head><body><h1>${html(doc.title)}</h1><p>${html(doc.byline)}</p>${body}</body></html>\n`
  );
}

/** Saves text as a file through a Blob and `a[download]`. */
export function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 6e4);
}
