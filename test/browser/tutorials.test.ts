// Unit test of the browser test's tutorial table checker: a removed chart, a chart drawn empty, a
// chart not in the table, a wrong trace count or picture count each fail.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkTutorialPage, TUTORIALS, type PageChart, type TutorialSpec } from './tutorials';

const spec: TutorialSpec = {
  charts: [
    { title: /^Training losses$/, traces: 4 },
    { title: /^Gradient/, traces: 2, drawn: 1 },
  ],
  pictures: 2,
};
const chart = (title: string, traces: number, drawnTraces = traces): PageChart => ({
  id: `gan-plot-${title.length}`,
  title,
  traces,
  drawnTraces,
});
const img = { src: 'data:image/png', naturalWidth: 10, complete: true };

describe('browser test: tutorial table', () => {
  it('passes a page that shows what the table says', () => {
    const page = { charts: [chart('Gradient norm', 2, 1), chart('Training losses', 4)], images: [img, img] };
    assert.deepEqual(checkTutorialPage('t', spec, page), []);
  });

  it('fails a removed chart, an empty one, an extra one, a wrong trace count, wrong pictures', () => {
    const fails = (charts: PageChart[], images = [img, img]) =>
      checkTutorialPage('t', spec, { charts, images });
    assert.match(fails([chart('Training losses', 4)]).join('\n'), /no chart titled \/\^Gradient\//);
    assert.match(
      fails([chart('Training losses', 4, 0), chart('Gradient', 2, 1)]).join('\n'),
      /"Training losses" drew 0 traces with finite data, expected 4/,
    );
    assert.match(
      fails([chart('Training losses', 4), chart('Gradient', 2), chart('New', 1)]).join('\n'),
      /"New" .* is not in the table/,
    );
    assert.match(
      fails([chart('Training losses', 3), chart('Gradient', 2)]).join('\n'),
      /has 3 traces, the table says 4/,
    );
    assert.match(
      fails([chart('Training losses', 4), chart('Gradient', 2)], [img]).join('\n'),
      /1 decoded pictures/,
    );
    assert.match(
      fails([chart('Training losses', 4), chart('Gradient', 2)], [img, { ...img, naturalWidth: 0 }]).join(
        '\n',
      ),
      /image 1 .* did not decode/,
    );
  });

  it('has an entry for every tutorial notebook', () => {
    const dir = path.join(__dirname, '..', '..', 'notebooks');
    const tutorials = fs
      .readdirSync(dir)
      .filter((f) => /^\d\d-.+\.ipynb$/.test(f))
      .map((f) => f.replace(/\.ipynb$/, ''));
    assert.deepEqual(Object.keys(TUTORIALS).sort(), tutorials.sort());
  });
});
