/**
 * The worker's image tasks: a folder of images decoded into a dataset (../backend/imagesets),
 * progress reported per file. They are asynchronous (sharp decodes on its own threads).
 */
import type { ImageImportTask, ImageSetResult } from '../../shared/images';
import { buildImageSet } from '../backend/imagesets/build';
import type { ProgressFn } from './tasks';

export async function runImageTask(task: ImageImportTask, onProgress: ProgressFn): Promise<ImageSetResult> {
  const result = await buildImageSet(task, onProgress);
  onProgress(1, 'done');
  return result;
}
