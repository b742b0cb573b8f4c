import { contextBridge, ipcRenderer } from 'electron';
import { createPreloadBridge } from './bridge.js';

/** The staff window's preload: one object, the staff bridge, and nothing else reaches the page. */
contextBridge.exposeInMainWorld('stationBridge', createPreloadBridge('staff', ipcRenderer));
