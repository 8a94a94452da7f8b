import os
import json
import boto3

AZURE_STORAGE_CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=acmetk7o3i;AccountKey=W/f61lGrAzoYdoZi+Egz7hTIpVb5K6Gf2t+rytAeG554/vI66qljFC6R9gvmBNPdEdTwyX82PpoXFGGUFjnvL8==;EndpointSuffix=core.windows.net"
s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
