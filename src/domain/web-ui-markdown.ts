/**
 * Markdown for the Temporal Web UI's summary and details panes. The UI sizes each pane's frame to its body's
 * scrollHeight, which leaves out the margins the first and last blocks collapse into the body's: about one
 * line at the bottom is cut off. A last paragraph holding only a no-break space takes that cut.
 */
const SPACER = '\u00a0';

/** `blocks` as markdown paragraphs (a blank line between), ending with the spacer the frame may clip. */
export const webUiMarkdown = (blocks: readonly string[]): string => [...blocks, SPACER].join('\n\n');
