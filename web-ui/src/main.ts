import { createApp } from 'vue'
import App from './App.vue'
import './composables/useTheme'
import './styles.css'

createApp(App).mount('#app')
