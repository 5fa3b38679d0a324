import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installCharts } from './charts/echarts';
import { createAppRouter } from './router';
import './style.css';

const app = createApp(App);
app.use(createPinia());
app.use(createAppRouter());
installCharts(app);
app.mount('#app');
