import { strict as assert } from 'assert';
import { markdownBundle, markdownToHtml } from '../src/markdown';
import { sourceExcerpt } from '../src/plot/source';

describe('markdownBundle', () => {
  it('carries the Markdown, an HTML table and the plain text', () => {
    const md = '| run | confident |\n| --- | --- |\n| this run | 0.771 |';
    const b = markdownBundle(md, 'plain');
    assert.equal(b.data['text/markdown'], md);
    assert.equal(b.data['text/plain'], 'plain');
    assert.match(b.data['text/html'], /<table>[\s\S]*<th>run<\/th>[\s\S]*<td>0.771<\/td>/);
  });

  it('escapes raw HTML in the source instead of passing it through', () => {
    assert.ok(!markdownToHtml('a <script>x()</script>').includes('<script>'));
  });

  it('gives sourceExcerpt an HTML code block with the lines', () => {
    const b = sourceExcerpt('src/markdown.ts', 'export function markdownToHtml', '}');
    assert.match(
      String(b.data['text/html']),
      /<pre><code class="language-ts">export function markdownToHtml/,
    );
  });
});
