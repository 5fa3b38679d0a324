/** A single image that cannot be imported; `message` is the user-facing reason. */
export class ImageRejected extends Error {
  override readonly name = 'ImageRejected';
}
