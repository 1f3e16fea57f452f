using ExtAuthz.Controller.Hosting;

return await ControllerHost.RunAsync(args);
