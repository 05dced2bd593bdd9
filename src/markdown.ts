/**
 * A Markdown display bundle that every front end shows: JupyterLab and VS Code render `text/markdown`,
 * but classic Notebook shows Markdown outputs only in trusted notebooks (an unexecuted notebook opened
 * from disk is not), and GitHub prefers HTML. So each bundle carries the same content as HTML too,
 * rendered by markdown-it with raw HTML in the source disabled.
 *   show(markdownBundle("| a | b |\n|---|---|\n| 1 | 2 |"));
 */
import MarkdownIt from 'markdown-it';
import type { MimeBundle } from './plot/display';

const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** HTML for a Markdown string (tables, lists, code blocks, emphasis). */
export function markdownToHtml(md: string): string {
  return renderer.render(md);
}

/** `text/markdown` + `text/html` + `text/plain` (the Markdown source, or `plain` when given). */
export function markdownBundle(
  md: string,
  plain: string = md,
): MimeBundle & { data: Record<string, string> } {
  return {
    data: { 'text/markdown': md, 'text/html': markdownToHtml(md), 'text/plain': plain },
    metadata: {},
  };
}
