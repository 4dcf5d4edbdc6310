import { describe, expect, it } from 'vitest';
import { uploadable } from '../../../../src/renderer/src/views/data/image-import.svelte';

const f = (path: string, size = 3): { path: string; file: File } => ({ path, file: new File([new Uint8Array(size)], path.split('/').pop()!) });

describe('choosing what a folder upload sends', () => {
  it('sends the images and the labels file, and leaves other and hidden files on the disk', () => {
    const files = [f('faces/a.PNG'), f('faces/s1/b.jpeg'), f('faces/c.pgm'), f('faces/d.bmp'), f('faces/e.webp'), f('faces/labels.csv'), f('faces/notes.txt'), f('faces/.DS_Store'), f('faces/.hidden.png'), f('faces/README')];
    const { send, left } = uploadable(files);
    expect(send.map((s) => s.path)).toEqual(['faces/a.PNG', 'faces/s1/b.jpeg', 'faces/c.pgm', 'faces/d.bmp', 'faces/e.webp', 'faces/labels.csv']);
    expect(left).toBe(4);
  });

  it('takes labels.csv only by that name (any case), wherever the folder is', () => {
    expect(uploadable([f('x/Labels.CSV'), f('x/other.csv')]).send.map((s) => s.path)).toEqual(['x/Labels.CSV']);
  });
});
