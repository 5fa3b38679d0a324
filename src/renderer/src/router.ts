import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

/** Every view of the app, in navigation order. Hash history works from file:// and behind `cwb serve`. */
export const VIEWS = [
  {
    path: '/datasets',
    name: 'datasets',
    title: 'Datasets',
    component: () => import('./views/DatasetsView.vue'),
  },
  {
    path: '/augment',
    name: 'augment',
    title: 'Augment',
    component: () => import('./views/AugmentView.vue'),
  },
  {
    path: '/experiments',
    name: 'experiments',
    title: 'Experiments',
    component: () => import('./views/ExperimentsView.vue'),
  },
  { path: '/runs', name: 'runs', title: 'Runs', component: () => import('./views/RunsView.vue') },
  {
    path: '/sweeps',
    name: 'sweeps',
    title: 'Sweeps',
    component: () => import('./views/SweepsView.vue'),
  },
  {
    path: '/embeddings',
    name: 'embeddings',
    title: 'Embeddings',
    component: () => import('./views/EmbeddingsView.vue'),
  },
  {
    path: '/prototypes',
    name: 'prototypes',
    title: 'Prototypes',
    component: () => import('./views/PrototypesView.vue'),
  },
  {
    path: '/export',
    name: 'export',
    title: 'Export',
    component: () => import('./views/ExportView.vue'),
  },
] as const;

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/datasets' },
  ...VIEWS.map((v) => ({
    path: v.path,
    name: v.name,
    component: v.component,
    meta: { title: v.title },
  })),
  { path: '/:pathMatch(.*)*', redirect: '/datasets' },
];

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
