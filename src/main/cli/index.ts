console.log('clusterscope CLI: coming up');
