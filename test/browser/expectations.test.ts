// Unit test of the browser test's expectations (what each executed notebook must show).
import { strict as assert } from 'assert';
import { lossChart, valueSurface } from '../../src/plot/charts';
import { figureBundle, pictureBundle } from '../../src/plot/display';
import { imageGrid } from '../../src/plot/imageGrid';
import { notebookExpectations } from './expectations';

const asOutput = (b: { data: Record<string, unknown> }) => ({ output_type: 'display_data', data: b.data });

describe('browser test expectations', () => {
  it('counts charts (with trace counts) and images from an executed notebook', () => {
    const loss = lossChart([{ step: 0, dLoss: 1, gLoss: 1 }]);
    const contour = valueSurface({
      kind: 'contour',
      x: [0, 1],
      y: [0, 1],
      z: [
        [0, 1],
        [1, 2],
      ],
      markers: [{ x: 0, y: 0, name: 's' }],
    });
    const surface = valueSurface({
      x: [0, 1],
      y: [0, 1],
      z: [
        [0, 1],
        [1, 2],
      ],
    });
    const grid = imageGrid({ shape: [1, 2, 2, 1], dataSync: () => [0, 0, 0, 0] });
    const nb = {
      cells: [
        { cell_type: 'markdown' },
        {
          cell_type: 'code',
          outputs: [asOutput(figureBundle(loss, { id: 'gan-plot-aa' })), { output_type: 'stream' }],
        },
        {
          cell_type: 'code',
          outputs: [asOutput(figureBundle(contour, { id: 'gan-plot-bb' })), asOutput(pictureBundle(grid))],
        },
        { cell_type: 'code', outputs: [asOutput(figureBundle(surface, { id: 'gan-plot-cc' }))] },
        {
          cell_type: 'code',
          outputs: [
            { output_type: 'display_data', data: { 'text/html': '<img src="x">', 'image/png': 'AA' } },
          ],
        },
      ],
    };
    const exp = notebookExpectations(nb);
    assert.deepEqual(exp.charts, [
      { cell: 1, id: 'gan-plot-aa', traces: 4, cartesianTraces: 4, webgl: false },
      { cell: 2, id: 'gan-plot-bb', traces: 2, cartesianTraces: 2, webgl: false },
      { cell: 3, id: 'gan-plot-cc', traces: 1, cartesianTraces: 0, webgl: true },
    ]);
    assert.equal(exp.images, 1, 'an image with a text/html sibling renders as HTML, not as an output image');
    assert.throws(() => notebookExpectations({} as never), /cells array/);
  });
});
