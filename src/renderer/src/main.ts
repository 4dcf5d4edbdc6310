import { mount } from 'svelte';
import { installApi } from './lib/api';
import App from './App.svelte';
import './app.css';

installApi();
mount(App, { target: document.getElementById('app')! });
