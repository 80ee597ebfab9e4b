/**
 * The inbox: one shared list (list.ts) and the modules that each do one job with it. Components import
 * from here.
 */
export { PAGE_SIZE, findLoaded, inbox, items } from './list'
export { ensureRange, refreshVisible, reload, setQuery, setVisibleRange } from './paging'
export { onMessageUpdated, onMessagesDeleted, onMessagesReceived, onStats } from './live'
export { deleteAll, deleteMessages, markRead } from './actions'
export { clearSelection, selectAllLoaded, selectOnly, selectRange, targetIds, toggleSelected } from './selection'
