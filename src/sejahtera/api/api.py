from ninja import NinjaAPI

api = NinjaAPI(title="Sejahtera API", version="1", urls_namespace="api")
