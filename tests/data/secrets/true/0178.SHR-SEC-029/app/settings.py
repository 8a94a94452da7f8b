import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
DISCORD_WEBHOOK = "https://discord.com/api/webhooks/654198636875483934/JM-0JayVo14LkIqDic4asaefuc1ICT3waFqR5xiODuiLqrGYTmvB91MmLrPQow4BmEnl"
TIMEOUT = 30
