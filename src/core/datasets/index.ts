/** Toy data generators (scikit-learn's recipes, the core's random stream). */
export {
  makeBlobs,
  makeMoons,
  makeCircles,
  makeAnisotropicBlobs,
  makeChapterMixture,
  CHAPTER_TRANSFORMATION,
  CHAPTER_THIRD_CENTER,
  type Dataset,
  type BlobsOptions,
  type MoonsOptions,
  type CirclesOptions,
  type AnisotropicBlobsOptions,
} from './generators';
