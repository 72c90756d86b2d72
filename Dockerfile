# The Schedules service. Build: docker build -t schedules .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Schedules.Api/Schedules.Api.csproj src/Schedules.Api/
RUN dotnet restore src/Schedules.Api/Schedules.Api.csproj
COPY src/ src/
RUN dotnet publish src/Schedules.Api -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_ENVIRONMENT=Production \
    Urls=http://0.0.0.0:8779
# The MariaDB client tools (mariadb, mariadb-dump, mariadb-binlog) back up instances with a connection profile.
RUN apt-get update \
    && apt-get install -y --no-install-recommends mariadb-client \
    && rm -rf /var/lib/apt/lists/*
# Backup objects (Storage:Root in docker-compose.yml); a volume mounted here takes the folder's owner.
RUN mkdir -p /var/lib/schedules/storage && chown "$APP_UID" /var/lib/schedules/storage
EXPOSE 8779
USER $APP_UID
ENTRYPOINT ["dotnet", "Schedules.Api.dll"]
