using ExtAuthz.Cli;

return await Cli.RunAsync(args, Console.Out, Console.Error);
