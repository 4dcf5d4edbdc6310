/**
 * The worker's image tasks: a folder of images decoded into a dataset (../backend/imagesets),
 * progress reported per file, and the samples (Olivetti faces, MNIST, digits), downloaded first
 * when needed. They are asynchronous (sharp decodes on its own threads; downloads stream).
 */
import type { ImageImportTask, ImageSetResult, SampleTask } from '../../shared/images';
import { buildImageSet } from '../backend/imagesets/build';
import { buildSample } from '../backend/imagesets/samples';
import type { ProgressFn } from './tasks';

export async function runImageTask(task: ImageImportTask, onProgress: ProgressFn): Promise<ImageSetResult> {
  const result = await buildImageSet(task, onProgress);
  onProgress(1, 'done');
  return result;
}

export async function runSampleTask(task: SampleTask, onProgress: ProgressFn): Promise<ImageSetResult> {
  const result = await buildSample(task, onProgress);
  onProgress(1, 'done');
  return result;
}
