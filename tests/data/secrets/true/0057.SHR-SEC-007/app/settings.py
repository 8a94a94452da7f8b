import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
SLACK_USER_TOKEN = "xoxp-270702119088-766260492603-5342646051325-82087816832e4c397be780c138b9e44f"
TIMEOUT = 30
