import { ref, watch } from 'vue';

export type Theme = 'light' | 'dark';
const KEY = 'cwb.theme';

function initialTheme(): Theme {
  const saved = globalThis.localStorage?.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

const theme = ref<Theme>(initialTheme());

watch(
  theme,
  (value) => {
    document.documentElement.dataset['theme'] = value;
    globalThis.localStorage?.setItem(KEY, value);
  },
  { immediate: true },
);

/** The app theme (light/dark), persisted; charts read it to pick their palette. */
export function useTheme(): { theme: typeof theme; toggle: () => void } {
  return {
    theme,
    toggle: () => {
      theme.value = theme.value === 'dark' ? 'light' : 'dark';
    },
  };
}
