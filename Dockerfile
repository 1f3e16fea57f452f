# ExtAuthz server image. Build from the repository root:
#   docker build -t extauthz .
# The runtime is Ubuntu 24.04 chiseled: the .NET and ASP.NET runtimes and their few libraries, no shell, no package
# manager, nothing an intruder could run. For a look inside a pod (`kubectl exec … -- sh`), build the same server on
# the full image:
#   docker build --build-arg RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0 -t extauthz:debug .
# Either runs as the non-root `app` user (APP_UID 1654); gRPC (h2c) on 9000, ops (health, metrics) on 8080.
# The chiseled image has no ICU or tzdata; the server needs neither (InvariantGlobalization in Directory.Build.props,
# all time in UTC). No RUN or shell-form instruction may follow the runtime FROM.
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/ExtAuthz.Server/ExtAuthz.Server.csproj -c Release -o /app/publish

FROM ${RUNTIME_IMAGE} AS runtime
# The default Policy:Directory is samples/cluster relative to the working directory, so a plain
# `docker run` serves the sample cluster; in Kubernetes, Policy__Source=Kubernetes replaces it.
WORKDIR /app
COPY --from=build /app/publish ./
COPY samples/ samples/
USER $APP_UID
EXPOSE 9000 8080
ENTRYPOINT ["dotnet", "ExtAuthz.Server.dll"]
