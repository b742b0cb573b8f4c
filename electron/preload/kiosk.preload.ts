import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge.js';

/** The kiosk window's preload: one object, the kiosk bridge, and nothing else reaches the page. */
contextBridge.exposeInMainWorld('stationBridge', createPreloadBridge('kiosk', ipcRenderer));
