/** What the lightbox says under a dataset image: where it is, how big it is, its label and split. */
export interface CaptionedImage {
  /** Path relative to the dataset folder (or the full path when that is all there is). */
  relPath: string;
  /** The original file's size in pixels (0 when unknown). */
  width: number;
  height: number;
  label: string | null;
  split: string;
}

/** Caption lines: path, "W×H px", "label: …", "split: …" (the root joined on when given). */
export function imageCaption(image: CaptionedImage, root?: string): string[] {
  const path = root ? `${root.replace(/[\\/]+$/, '')}/${image.relPath}` : image.relPath;
  const size = image.width > 0 && image.height > 0 ? `${image.width}×${image.height} px` : 'size unknown';
  return [path, size, `label: ${image.label ?? 'unlabelled'}`, `split: ${image.split}`];
}
