import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../../src/shared/schemas/files';
import { MenuCommandSchema } from '../../../src/shared/schemas/files';
import { menuTemplate, type MenuActions } from '../../../src/main/window/menu';

function setUp(picked: string | null) {
  const sent: MenuCommand[] = [];
  const calls: string[] = [];
  const actions: MenuActions = {
    desktop: {
      pickFolder: async (purpose, at) => (calls.push(`pick:${purpose}:${at ?? ''}`), picked),
      pickFile: async (purpose) => (calls.push(`pick-file:${purpose}`), picked),
      showInFolder: (path) => void calls.push(`show:${path}`),
    },
    send: (command) => void sent.push(MenuCommandSchema.parse(command)),
    workspace: '/ws',
    logFile: '/ws/logs/workbench.log',
    openWorkspace: (path) => void calls.push(`open:${path}`),
    openDocs: async () => void calls.push('docs'),
    log: (line) => void calls.push(`log:${line}`),
  };
  return { sent, calls, template: menuTemplate(actions, 'linux') };
}

function find(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  for (const item of template) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const found = find(item.submenu, label);
      if (found.label === label) return found;
    }
  }
  return {};
}

const click = (item: MenuItemConstructorOptions) => (item.click as unknown as () => void)();
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('application menu', () => {
  it('has File, Edit, View, Window and Help, with the seven views on Ctrl/Cmd+1…7', () => {
    const { template, sent } = setUp(null);
    expect(template.map((item) => item.label ?? item.role)).toEqual(['File', 'editMenu', 'View', 'windowMenu', 'help']);
    const views = ['Datasets', 'Augmentations', 'Experiments', 'Runs', 'Embeddings', 'Prototypes', 'Export'];
    views.forEach((label, i) => {
      const item = find(template, label);
      expect(item.accelerator).toBe(`CmdOrCtrl+${i + 1}`);
      click(item);
    });
    expect(sent.map((c) => (c.command === 'navigate' ? c.view : c.command))).toEqual(['datasets', 'augment', 'experiments', 'runs', 'embeddings', 'prototypes', 'export']);
  });

  it('Import Folder… picks a folder and hands it to the page; a cancelled dialog sends nothing', async () => {
    const chosen = setUp('/home/me/pictures');
    click(find(chosen.template, 'Import Folder…'));
    await settle();
    expect(chosen.sent).toEqual([{ command: 'import-folder', path: '/home/me/pictures' }]);
    const cancelled = setUp(null);
    click(find(cancelled.template, 'Import Folder…'));
    await settle();
    expect(cancelled.sent).toEqual([]);
  });

  it('Open Workspace… relaunches on another folder; Help shows the log file and its folder', async () => {
    const { template, calls } = setUp('/other');
    click(find(template, 'Open Workspace…'));
    await settle();
    click(find(template, 'Show Log Folder'));
    click(find(template, 'Documentation'));
    await settle();
    expect(calls).toEqual(['pick:workspace:/ws', 'open:/other', 'show:/ws/logs/workbench.log', 'docs']);
    expect(find(template, 'Log File: /ws/logs/workbench.log').enabled).toBe(false);
  });
});
