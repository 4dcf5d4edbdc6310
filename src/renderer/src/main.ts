import { mount } from 'svelte';
import { installApi } from './lib/api';
import App from './App.svelte';
import './app.css';

installApi();
// Mounted in a task of its own: evaluating the bundle and building the shell would otherwise
// block the window as one long task.
setTimeout(() => mount(App, { target: document.getElementById('app')! }), 0);
