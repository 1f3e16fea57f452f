using ExtAuthz.DevGateway;

var (app, errors) = DevGatewayHost.Build(args);
if (app is null)
{
    foreach (var error in errors)
    {
        Console.Error.WriteLine(error);
    }

    return 2;
}

await app.RunAsync();
return 0;
