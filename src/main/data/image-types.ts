/** File extensions the scan treats as images (lower case, with the dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
]);

/**
 * Decoded formats we accept, by sharp's decoder name. A file is judged by its content, not its
 * extension: a PNG saved as `.jpg` is fine, an SVG saved as `.png` is not (it could reference
 * external resources and is not a photo).
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' | 'avif';

export function acceptedFormat(
  decoder: string,
  compression: string | undefined,
): ImageFormat | null {
  switch (decoder) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return decoder;
    case 'heif':
      return compression === 'av1' ? 'avif' : null;
    default:
      return null;
  }
}
