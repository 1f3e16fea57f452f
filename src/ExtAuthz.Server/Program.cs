using ExtAuthz.Server.Hosting;

return await ExtAuthzHost.RunAsync(args);
