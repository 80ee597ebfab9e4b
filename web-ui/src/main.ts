import { createApp } from 'vue'
import App from './App.vue'
import './lib/theme'
import './styles.css'

createApp(App).mount('#app')
