/**
 * Markdown for the Temporal Web UI's summary and details panes. The UI sizes each pane's frame to its body's
 * scrollHeight, which leaves out the margins the first and last blocks collapse into the body's: about one
 * line at the bottom is cut off. A last paragraph holding only a no-break space takes that cut.
 */
const SPACER = '\u00a0';

/** `blocks` as markdown paragraphs (a blank line between), ending with the spacer the frame may clip. */
export const webUiMarkdown = (blocks: readonly string[]): string => [...blocks, SPACER].join('\n\n');

/**
 * Text that markdown shows as it is: every ASCII punctuation character backslash-escaped (CommonMark lets any
 * be), so a merchant's or a gateway's text cannot become a link, an image, HTML or emphasis in the Web UI.
 */
export const markdownText = (text: string): string => text.replace(/[!-/:-@[-`{-~]/g, '\\$&').replace(/\r?\n/g, ' ');

/** A value as a code span whose fence is longer than any run of backticks inside it, so nothing ends it early. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

