import { ref, watchEffect } from 'vue'

export type Theme = 'auto' | 'light' | 'dark'
const key = 'mailsink.theme'

function stored(): Theme {
  const value = localStorage.getItem(key)
  return value === 'light' || value === 'dark' ? value : 'auto'
}

/** Light, dark, or following the system; the choice is kept in localStorage. */
export const theme = ref<Theme>(stored())

watchEffect(() => {
  document.documentElement.dataset.theme = theme.value
  if (theme.value === 'auto') localStorage.removeItem(key)
  else localStorage.setItem(key, theme.value)
})

export function cycleTheme(): void {
  theme.value = theme.value === 'auto' ? 'light' : theme.value === 'light' ? 'dark' : 'auto'
}
