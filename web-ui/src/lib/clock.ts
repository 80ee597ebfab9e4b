import { ref } from 'vue'

/** A clock shared by every relative time on the page, ticking every 30 s. */
export const now = ref(Date.now())
window.setInterval(() => { now.value = Date.now() }, 30_000)
