# ExtAuthz server image. Build from the repository root:
#   docker build -t extauthz .
# Runs as the aspnet image's non-root `app` user; gRPC (h2c) on 9000, ops (health, metrics) on 8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/ExtAuthz.Server/ExtAuthz.Server.csproj -c Release -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The default Policy:Directory is samples/cluster relative to the working directory, so a plain
# `docker run` serves the sample cluster; in Kubernetes, Policy__Source=Kubernetes replaces it.
WORKDIR /app
COPY --from=build /app/publish ./
COPY samples/ samples/
USER $APP_UID
EXPOSE 9000 8080
ENTRYPOINT ["dotnet", "ExtAuthz.Server.dll"]
