import { ref } from 'vue';

/**
 * Drag-and-drop of a folder onto a form. In the desktop app the preload turns the dropped item into
 * its path (`window.workbench.pathForFile`); a browser page never learns the paths of dropped files,
 * so there the drop explains itself and points at "Browse…".
 */
export function useFolderDrop(onPath: (path: string) => void) {
  const over = ref(false);
  const message = ref<string | null>(null);

  function dragover(event: DragEvent): void {
    event.preventDefault();
    over.value = true;
  }

  function dragleave(): void {
    over.value = false;
  }

  function drop(event: DragEvent): void {
    event.preventDefault();
    over.value = false;
    message.value = null;
    const file = event.dataTransfer?.files[0];
    if (!file) return;
    const bridge = window.workbench;
    if (!bridge) {
      message.value = 'The browser does not tell the page where a dropped folder is; use Browse… (dropping works in the desktop app).';
      return;
    }
    const path = bridge.pathForFile(file);
    if (path) onPath(path);
    else message.value = `${file.name} has no path on disk`;
  }

  return { over, message, dragover, dragleave, drop };
}
